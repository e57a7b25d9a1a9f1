"""What the reports read: counts per day and rep, kept up to date as the work happens
(reports/rollups.py), so that a report costs the same at 1,000 and at 100,000 submissions."""

from django.conf import settings
from django.db import models


class DailyFigure(models.Model):
    """How many of `metric` (with `key`) happened on `day` for `user`.

    metric "created": key "lead" or "contact"; "checks": key ""; "converted": checks a lead was
    started from, key ""; "level": key the residential level ("" for none); "provider": key a
    provider's name, counted once per check where it serves."""

    day = models.DateField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    metric = models.CharField(max_length=20)
    key = models.CharField(max_length=200, blank=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "user", "metric", "key"], name="report_daily_once")]
        indexes = [models.Index(fields=["day", "user"], name="report_daily_when")]

    def __str__(self):
        return f"{self.day} {self.metric} {self.key}: {self.count}"
