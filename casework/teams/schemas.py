"""Marshmallow schemas of the teams API."""

from marshmallow import Schema, fields


class TeamOutSchema(Schema):
    id = fields.String(required=True)
    slug = fields.String(required=True)
    name = fields.String(required=True)
    federation = fields.Function(lambda team: team.federation.name, required=True,
                                 metadata={"type": "string", "description": "The samordningsförbund's name."})
    settings = fields.Function(lambda team: team.settings.to_dict(), required=True,
                               metadata={"type": "object", "description": "The team settings of DOMAIN.md §6."})
