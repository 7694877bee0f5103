"""Outgoing mail over SMTP (stdlib smtplib). Without SMTP_HOST, mail is logged instead.

Logged mail has its links' tokens redacted: the log must never hold a secret.
"""
import logging
import re
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app

log = logging.getLogger("tandem.mail")
_TOKEN_IN_URL = re.compile(r"(/(?:invite|reset)/)[A-Za-z0-9_\-]+")


def mail_configured():
    return bool(current_app.config.get("SMTP_HOST"))


def redact(text):
    return _TOKEN_IN_URL.sub(r"\1[redacted]", text)


def send_mail(to, subject, body):
    """Send a plain-text message; returns True when handed to an SMTP server."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=config["MAIL_FROM"].rpartition("@")[2] or "localhost")
    message.set_content(body)
    if not mail_configured():
        log.info("mail not sent (SMTP_HOST unset) to=%s subject=%s\n%s", to, subject, redact(body))
        return False
    security = config["SMTP_SECURITY"]
    timeout = config["SMTP_TIMEOUT"]
    if security == "ssl":
        client = smtplib.SMTP_SSL(config["SMTP_HOST"], config["SMTP_PORT"], timeout=timeout,
                                  context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=timeout)
    try:
        if security == "starttls":
            client.starttls(context=ssl.create_default_context())
        if config.get("SMTP_USERNAME"):
            client.login(config["SMTP_USERNAME"], config.get("SMTP_PASSWORD") or "")
        client.send_message(message)
    finally:
        try:
            client.quit()
        except smtplib.SMTPException:
            pass
    return True
