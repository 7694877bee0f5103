"""Simple page-number pagination that costs one query (fetch one extra row to know if there is more)."""
from dataclasses import dataclass

from flask import request


@dataclass
class Page:
    items: list
    number: int
    has_prev: bool
    has_next: bool


def page_number():
    """The ?page= number, 1 when absent or not a number. (Asked with `in` first: a missing key's
    .get() raises and catches an exception inside werkzeug, and most pages are the first.)"""
    args = request.args
    if "page" not in args:
        return 1
    try:
        return max(1, min(int(args["page"]), 100000))
    except ValueError:
        return 1


def paginate(query, per_page=25, number=None):
    number = number or page_number()
    rows = list(query.limit(per_page + 1).offset((number - 1) * per_page))
    return Page(items=rows[:per_page], number=number, has_prev=number > 1, has_next=len(rows) > per_page)
