"""The two partials the dashboard includes: a quick check form and the rep's recent checks."""

import pytest
from django.template.loader import render_to_string

from serviceability.models import AddressCheck


@pytest.mark.django_db
def test_the_quick_check_is_a_get_form_to_the_check_page():
    html = render_to_string("serviceability/_quick_check.html")

    assert '<form method="get" action="/check/"' in html
    assert 'name="street"' in html and 'name="city"' in html
    assert '<option value="VT">VT · Vermont</option>' in html


@pytest.mark.django_db
def test_recent_checks_link_to_their_permalinks_with_level_badges(owner):
    check = AddressCheck.objects.create(
        user=owner,
        street="55 Trinity Ave SW",
        city="Atlanta",
        state="GA",
        normalized_key="K",
        lookup="L",
        outcome="found",
        residential_level="served",
        business_level="served",
    )
    failed = AddressCheck.objects.create(
        user=owner,
        street="1 Main St",
        city="Dover",
        state="DE",
        normalized_key="K2",
        lookup="L2",
        outcome="unavailable",
    )

    html = render_to_string("serviceability/_recent_checks.html", {"recent_checks": [check, failed]})

    assert f'<a href="/check/{check.pk}/">55 Trinity Ave SW, Atlanta, GA</a>' in html
    assert '<span class="badge badge-served">Served</span>' in html
    assert "Service unavailable" in html
    assert 'href="/check/history/"' in html


@pytest.mark.django_db
def test_recent_checks_say_so_when_there_are_none():
    assert "No address checks yet." in render_to_string("serviceability/_recent_checks.html", {"recent_checks": []})
