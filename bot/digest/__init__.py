"""The digest: collect from the store, build (pure), render, mail."""
