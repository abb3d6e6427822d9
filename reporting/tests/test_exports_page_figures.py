"""Report pages print every figure the way the exports do (core.formatting): "3 432" beside "4 600", one decimal
for averages, a real 0 as "0" (not "–"), the disclosure markers unchanged."""

from django.urls import reverse

from reporting.templatetags.figures import figure, figure_percent


def test_figure_filter():
    assert [figure(3432), figure(4600), figure(4.25), figure(0), figure(None), figure("<5"), figure(":")] == [
        "3\xa0432", "4\xa0600", "4,3", "0", "–", "<5", ":"]
    assert [figure_percent(57.9), figure_percent(None), figure_percent("<5")] == ["57,9\xa0%", "–", "<5"]
    assert figure(1330) == "1\xa0330"  # a count never gets a decimal


def test_dashboard_and_report_pages_use_one_number_format(snapshots, client_for):
    monthly, _ = snapshots
    monthly.figures["national"].update(settled_ytd=3432, need=4600, target_to_date=2300)
    monthly.figures["wait_times"]["by_group"][0]["average_months"] = 0
    monthly.save(update_fields=["figures"])
    client = client_for("cw_ost")
    dashboard = client.get(reverse("reporting:dashboard")).content.decode()
    assert 'data-testid="kpi-settled-ytd">3\xa0432<' in dashboard and "behov 4\xa0600" in dashboard
    assert "3432" not in dashboard.split("chart-data")[0]
    detail = client.get(reverse("reporting:snapshot", args=[monthly.pk])).content.decode()
    assert 'data-testid="settled-ytd">3\xa0432<' in detail and "(mål 2\xa0300)" in detail
    first_group = monthly.figures["wait_times"]["by_group"][0]["label"]
    wait_table = detail.split("Ventetid fra vedtak om opphold til bosetting")[1]
    row = wait_table.split(f"<td>{first_group}</td>")[1].split("</tr>")[0]
    assert '<td class="num">0</td>' in row  # an average of 0 months is a figure, not a missing one
    assert "Plassbruk (bosatt + søkt ut av vedtatt): <strong>57,9\xa0%</strong>" in detail
