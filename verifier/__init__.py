"""verify-refs: checks an article's references live and in web archives."""

__version__ = "0.1.0"

PROJECT_URL = "https://github.com/verify-refs/verify-refs"
USER_AGENT = f"verify-refs/{__version__} (+{PROJECT_URL}; citation link checker)"
