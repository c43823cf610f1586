"""The `tmws` command line: a thin face over the core services."""
