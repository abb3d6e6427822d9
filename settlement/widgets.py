"""Pickers with hundreds of options written in one pass (issue 14)."""

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _attrs(attrs) -> str:
    # django/forms/widgets/attrs.html: False leaves an attribute out, True writes its name alone.
    return "".join("" if value is False else f" {conditional_escape(name)}" if value is True
                   else f' {conditional_escape(name)}="{conditional_escape(str(value))}"' for name, value in attrs.items())


class QuickSelectMixin:
    """Writes what Django's select.html and select_option.html write, without a template per option: the 838
    municipalities took 78 ms a picker through the templates at demo scale 5."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        out = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _ in widget["optgroups"]:
            if group_name:
                out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            out.extend(f'\n  <option value="{conditional_escape(str(o["value"]))}"{_attrs(o["attrs"])}>'
                       f'{conditional_escape(o["label"])}</option>\n' for o in options)
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        return mark_safe("".join(out))


class QuickSelect(QuickSelectMixin, forms.Select):
    pass


class QuickSelectMultiple(QuickSelectMixin, forms.SelectMultiple):
    pass


_QUICK = {forms.Select: QuickSelect, forms.SelectMultiple: QuickSelectMultiple}


def quick_selects(form, *names):
    """Give the named fields of this form (its own copies of the fields) the quick pickers; a field whose widget is
    not a plain Select or SelectMultiple keeps its own."""
    for name in names:
        widget = form.fields[name].widget
        if type(widget) in _QUICK:
            widget.__class__ = _QUICK[type(widget)]
    return form
