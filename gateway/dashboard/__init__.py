"""The coordinators' dashboard at /dashboard: server-rendered HTML and inline SVG, no script at all."""
