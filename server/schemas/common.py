"""Shared schema pieces: strict bodies, pagination, the error shape, org references."""
from marshmallow import EXCLUDE, RAISE, Schema, fields, validate


class Body(Schema):
    """Request bodies refuse unknown fields: a typo is an error, not silently ignored."""

    class Meta:
        unknown = RAISE


class Query(Schema):
    # Query strings tolerate extra parameters (cache busters, tracking) but validate their own.
    class Meta:
        unknown = EXCLUDE


class IdempotencyHeader(Query):
    """The Idempotency-Key header of a write a phone may retry (DESIGN.md): only its hash
    is stored, with the caller, so a retry is recognised and the key itself not kept."""
    idempotency_key = fields.String(data_key="Idempotency-Key",
                                    validate=validate.Length(min=1, max=200), metadata={
                                        "description": "手机重试同一次提交时带上相同的值"})


class PageArgs(Query):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


def envelope(item_schema, name):
    """A paginated list: {items, page, per_page, total}."""
    return type(name, (Schema,), {
        "items": fields.List(fields.Nested(item_schema), required=True),
        "page": fields.Integer(required=True),
        "per_page": fields.Integer(required=True),
        "total": fields.Integer(required=True),
    })


class Error(Schema):
    error = fields.String(required=True, metadata={"description": "machine-readable slug"})
    message = fields.String(required=True, metadata={"description": "中文提示，可直接展示"})
    details = fields.Dict(required=True)


class UnitRef(Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    name = fields.String(required=True)
    level = fields.String(required=True)
    kind = fields.String(allow_none=True)


# Row ids are 32-bit on every backend; a larger number cannot name a row.
MAX_ID = 2**31 - 1


def row_id(strict=True, **kwargs):
    """An id field: a positive integer that fits the database's primary keys. Strict in JSON
    bodies (1.5 or "7" are errors); query strings pass strict=False, as all their values are
    text."""
    return fields.Integer(strict=strict, validate=validate.Range(min=1, max=MAX_ID), **kwargs)


def text(max_length, min_length=1, **kwargs):
    """A required trimmed-or-not text field with length limits."""
    return fields.String(required=kwargs.pop("required", True),
                         validate=validate.Length(min=min_length, max=max_length), **kwargs)
