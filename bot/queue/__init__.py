"""The query queue: YAML files and the files they name, checked, into `Query` models."""
