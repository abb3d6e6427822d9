"""Saving and deleting with the acting user recorded in the audit history (django-simple-history)."""


def _credit(instance, actor):
    user = getattr(actor, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        instance._history_user = user


def save_as(instance, actor, **kwargs):
    """Save `instance`, crediting the change to the actor's user (none for the system itself)."""
    _credit(instance, actor)
    instance.save(**kwargs)


def delete_as(instance, actor):
    """Delete `instance`; its last history row (the deletion) names the actor's user."""
    _credit(instance, actor)
    instance.delete()


def update_or_create_if_changed(manager, defaults: dict, **lookup):
    """QuerySet.update_or_create that saves only when a value differs: Django's saves every time, and every save of a
    model with history adds a history row, so each reseed added unchanged rows to the reference data's history. A
    related field is compared by its key. Returns (object, created)."""
    obj = manager.filter(**lookup).first()
    if obj is None:
        return manager.create(**lookup, **defaults), True
    meta, changed = obj._meta, []
    for name, value in defaults.items():
        field = meta.get_field(name)
        current = getattr(obj, field.attname)
        wanted = getattr(value, "pk", value) if field.is_relation else field.to_python(value)
        if current != wanted:
            setattr(obj, name, value)
            changed.append(name)
    if changed:
        obj.save(update_fields=changed)
    return obj, False
