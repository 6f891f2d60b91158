"""`sqbot review`: a small web app over the lead database (Starlette, Jinja2 autoescaped templates)."""
