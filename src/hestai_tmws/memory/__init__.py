"""Project memory services: the living context documents and typed documents."""
