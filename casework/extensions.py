"""Flask extensions, created unbound and initialised by the app factory."""

from apispec.ext.marshmallow import MarshmallowPlugin, OpenAPIConverter
from apispec.ext.marshmallow.common import resolve_schema_cls
from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from marshmallow import fields

from casework.db import Base
from casework.text import json_schema_pattern

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


class VariantsConverter(OpenAPIConverter):
    """Documents a schema with `openapi_variants` (see `casework.schemas`) as a `oneOf` of them, and
    a schema's `openapi_min_properties` (a rule such as "at least one of these fields") as `minProperties`."""

    def schema2jsonschema(self, schema):
        schema_cls = resolve_schema_cls(schema)
        variants = schema_cls.openapi_variants() if hasattr(schema_cls, "openapi_variants") else None
        if not variants:
            jsonschema = super().schema2jsonschema(schema)
            if minimum := getattr(schema_cls, "openapi_min_properties", None):
                jsonschema["minProperties"] = minimum
            return jsonschema
        refs = {key: self.resolve_nested_schema(variant) for key, variant in variants.items()}
        jsonschema = {"oneOf": list(refs.values())}
        if schema_cls.openapi_discriminator:
            jsonschema["discriminator"] = {"propertyName": schema_cls.openapi_discriminator,
                                           "mapping": {key: ref["$ref"] for key, ref in refs.items()}}
        if schema_cls.__doc__:
            jsonschema["description"] = " ".join(schema_cls.__doc__.split())
        return jsonschema


class VariantsPlugin(MarshmallowPlugin):
    Converter = VariantsConverter

    def init_spec(self, spec):
        super().init_spec(spec)
        self.converter.add_attribute_function(readable_text_pattern)
        self.converter.add_attribute_function(declared_openapi_properties)


def declared_openapi_properties(converter, field, **kwargs) -> dict:
    """What a field class or one of its validators states about itself (`openapi_properties`)."""
    properties = dict(getattr(field, "openapi_properties", {}))
    for validator in field.validators:
        properties.update(getattr(validator, "openapi_properties", {}))
    return properties


def readable_text_pattern(converter, field, ret=None, **kwargs) -> dict:
    """An input string states the text rule (`casework.text`) as its `pattern`; a free-text field
    (in its schema's `multiline_fields`) allows tabs and line breaks. Strings with a format of
    their own (e-mail), a stricter pattern of their own, a choice (enum) and output schemas are left as they are."""
    parent, ret = field.parent, ret or {}
    has_own_rule = {"format", "pattern", "enum"} & ret.keys()
    if not isinstance(field, fields.String) or has_own_rule or not hasattr(parent, "multiline_fields"):
        return {}
    return {"pattern": json_schema_pattern(multiline=field.name in parent.multiline_fields)}


api = Api(spec_kwargs={"marshmallow_plugin": VariantsPlugin()})
