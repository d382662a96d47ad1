import pytest

from cryptotalks.jobs import Job


@pytest.mark.parametrize(
    ("schedule", "seconds"), [("rate(1 minute)", 60), ("rate(1 hour)", 3600), ("rate(2 days)", 172800), (None, None)]
)
def test_rates(schedule: str | None, seconds: int | None) -> None:
    assert Job("job", schedule).interval_seconds == seconds


def test_cron_is_refused() -> None:
    with pytest.raises(ValueError):
        _ = Job("job", "cron(0 * * * ? *)").interval_seconds
