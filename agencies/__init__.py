"""Agencies, principals, roles and scopes, tokens, sharing agreements, the access policy, audit."""
