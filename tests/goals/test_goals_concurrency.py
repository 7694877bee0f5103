"""Two people working on the same goal at the same moment, as two app servers would.

Each thread has an app of its own (built by app_factory on this test's database)
and a browser of its own; a barrier lets them start together.
"""
import random
import threading

from app.goals.models import GoalStep
from tests.conftest import signed_in_client
from tests.goals.conftest import HX, audit_events, make_goal, steps_in_order, timeline_rows


def run_together(jobs):
    """Run each job in its own thread, all starting at once; return each job's list of statuses."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)
    errors = []

    def runner(index, job):
        try:
            barrier.wait(timeout=10)
            results[index] = job()
        except Exception as error:  # reported below, with the thread's failure
            errors.append(error)

    threads = [threading.Thread(target=runner, args=(index, job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert all(not thread.is_alive() for thread in threads), "a thread did not finish"
    return results


def browser_for(app_factory, user):
    """A browser on an app instance of its own: another worker or server."""
    app = app_factory()
    return signed_in_client(app, user)


def tick_all(client, goal, steps, headers=None):
    def job():
        return [client.post(f"/goals/{goal.id}/steps/{step.id}/toggle", data={"done": "1"},
                            headers=headers or {}).status_code for step in steps]

    return job


def test_two_people_ticking_different_steps_of_one_goal_at_once_both_land(app, app_factory, personas):
    goal = make_goal(personas.mentee_a, steps=[f"Step {n}" for n in range(10)])
    steps = steps_in_order(goal)
    mentee = browser_for(app_factory, personas.mentee_a)
    mentor = browser_for(app_factory, personas.mentor_a)

    statuses = run_together([tick_all(mentee, goal, steps[0::2]), tick_all(mentor, goal, steps[1::2], HX)])

    assert statuses == [[303] * 5, [200] * 5]
    assert all(step.done_at is not None for step in steps_in_order(goal))
    done_by = {step.id: step.done_by_id for step in steps_in_order(goal)}
    assert {done_by[step.id] for step in steps[0::2]} == {personas.mentee_a.id}
    assert {done_by[step.id] for step in steps[1::2]} == {personas.mentor_a.id}
    assert len(timeline_rows(goal, "step_done")) == 10
    assert len(audit_events("goal.step_tick")) == 10


def test_two_people_ticking_the_same_step_at_once_record_it_once(app, app_factory, personas):
    goal = make_goal(personas.mentee_a, steps=["Call the clinic"])
    step = steps_in_order(goal)[0]
    mentee = browser_for(app_factory, personas.mentee_a)
    mentor = browser_for(app_factory, personas.mentor_a)

    statuses = run_together([tick_all(mentee, goal, [step]), tick_all(mentor, goal, [step])])

    assert statuses == [[303], [303]]
    assert steps_in_order(goal)[0].done_at is not None
    assert len(timeline_rows(goal, "step_done")) == 1
    assert len(audit_events("goal.step_tick")) == 1


def mover(client, goal, step_ids, seed, moves=15):
    def job():
        rng = random.Random(seed)
        statuses = []
        for _ in range(moves):
            step_id = rng.choice(step_ids)
            direction = rng.choice(["up", "down"])
            statuses.append(client.post(f"/goals/{goal.id}/steps/{step_id}/move",
                                        data={"direction": direction}).status_code)
        return statuses

    return job


def test_concurrent_moves_leave_positions_exactly_zero_to_n_minus_one(app, app_factory, personas):
    goal = make_goal(personas.mentee_a, steps=[f"Step {n}" for n in range(6)])
    step_ids = [step.id for step in steps_in_order(goal)]
    mentee = browser_for(app_factory, personas.mentee_a)
    mentor = browser_for(app_factory, personas.mentor_a)

    statuses = run_together([mover(mentee, goal, step_ids, seed=1), mover(mentor, goal, step_ids, seed=2)])

    assert statuses == [[303] * 15, [303] * 15]
    steps = steps_in_order(goal)
    assert [step.position for step in steps] == list(range(6))
    assert sorted(step.id for step in steps) == sorted(step_ids)


def test_ticks_and_moves_at_once_all_land_without_errors(app, app_factory, personas):
    """A tick and a move touch the same rows (a step and the goal); neither may deadlock or be lost."""
    goal = make_goal(personas.mentee_a, steps=[f"Step {n}" for n in range(8)])
    steps = steps_in_order(goal)
    step_ids = [step.id for step in steps]
    mentee = browser_for(app_factory, personas.mentee_a)
    mentor = browser_for(app_factory, personas.mentor_a)

    def tick_then_untick():
        return [mentee.post(f"/goals/{goal.id}/steps/{step.id}/toggle", data={"done": done}).status_code
                for step in steps for done in ("1", "0")]

    statuses = run_together([tick_then_untick, mover(mentor, goal, step_ids, seed=3)])

    assert statuses == [[303] * 16, [303] * 15]
    after = steps_in_order(goal)
    assert [step.position for step in after] == list(range(8))
    assert sorted(step.id for step in after) == sorted(step_ids)
    assert all(step.done_at is None for step in after)
    assert len(timeline_rows(goal, "step_done")) == len(timeline_rows(goal, "step_undone")) == 8
    assert GoalStep.select().where(GoalStep.goal == goal).count() == 8
