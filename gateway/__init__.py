"""HTTP and GraphQL: the app factory, settings, the schema, the CLI."""

__version__ = "0.1.0"
