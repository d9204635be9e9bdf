"""The web service: the API (with its OpenAPI description) and the investigator's pages.

``create_app(store)`` (app.py) builds the FastAPI application; ``unweave serve`` runs it
under uvicorn. Every data route reads through ``StoreView(store, scope_for(user, case))``
(auth.py), every error answers in one JSON shape (errors.py), every page is a Jinja2
template with autoescaping and every script a static file under a strict
Content-Security-Policy (security.py).
"""
