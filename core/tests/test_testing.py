"""The test helpers themselves."""

from core.testing import off_site_assets


def test_off_site_assets_finds_cdn_scripts_and_styles_not_text():
    page = ('<script src="/static/vendor/chartjs/chart.umd.min.js"></script><script nonce="a1vw+cdnht2q6/eg==">x</script>'
            '<link rel="stylesheet" href="https://cdn.example.org/x.css"><script src="//cdn.example.org/y.js"></script>'
            '<a href="https://www.imdi.no/">IMDi</a>')
    assert off_site_assets(page) == ["https://cdn.example.org/x.css", "//cdn.example.org/y.js"]
