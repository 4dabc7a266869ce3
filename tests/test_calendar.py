"""Working days of the PRC calendar: public holidays from the holidays package, make-up days, extra days off."""

from __future__ import annotations

import pytest

from salesplan import Assumptions, InputError
from salesplan.calendar import calendar_findings, holiday_table, working_days
from salesplan.history import seasonality


def test_working_days_follow_the_official_2026_schedule():
    days = working_days(2026)
    # Feb 2026: 20 weekdays; the Spring Festival takes 16-20 and 23 Feb off; Saturdays 14 and 28 Feb are worked
    assert days[2] == 20 - 6 + 2
    assert days.sum() == 248
    table = holiday_table(2026)
    assert set(table.loc[table["kind"] == "workday", "date"].dt.strftime("%m-%d")) >= {"02-14", "02-28"}


def test_spring_festival_of_any_year_and_the_assumptions_additions():
    plain = working_days(2027)
    assert plain[2] == min(plain)  # the Spring Festival month has the fewest working days
    a = Assumptions.from_dict({"calendar": {"holidays": ["2027-02-11", "2027-02-12"],
                                            "workdays": ["2027-02-20"]}})
    more = working_days(2027, a.calendar)
    assert more[2] == plain[2] - 2 + 1 and (more.drop(2) == plain.drop(2)).all()
    assert calendar_findings(2027, a.calendar) == []
    warn = calendar_findings(2027)
    assert len(warn) == 1 and warn[0].column == "calendar.workdays" and warn[0].level == "warning"
    assert "make-up working days" in warn[0].message_in("en") and "调休上班日" in warn[0].message_in("zh")
    assert calendar_findings(2027, lang="zh")[0].in_language("en") == warn[0]  # either wording, one finding


def test_seasonality_and_visit_capacity_use_the_calendar(sample_inputs):
    from salesplan.staffing import size_team
    from salesplan.targets import decompose

    w = seasonality(sample_inputs.history, "working_days", year=2027)
    days = working_days(2027)
    assert w.to_numpy() == pytest.approx(days.to_numpy() / days.sum())
    a = sample_inputs.assumptions
    cap = size_team(sample_inputs, decompose(sample_inputs)).capacity
    assert list(cap["working_days"]) == list(days)
    assert cap["capacity_visits"].to_numpy() == pytest.approx(
        cap["ramped_fte"].to_numpy() * a.productivity.visits_per_day * days.to_numpy())


def test_bad_calendar_settings_are_named():
    with pytest.raises(InputError) as err:
        Assumptions.from_dict({"calendar": {"holidays": ["2027-02-30"], "country": "XX"}, "display_unit": 100,
                               "language": "fr"})
    text = str(err.value)
    assert "calendar.holidays[0]: '2027-02-30' is not a date" in text and "calendar.country: 'XX'" in text
    assert "display_unit: 100 is not one of 1, 1000, 10000" in text and "language: 'fr' is not one of en, zh" in text
