"""verify-refs: checks an article's references live and in web archives."""

__version__ = "0.1.0"

PROJECT_URL = "https://github.com/verify-refs/verify-refs"


def user_agent(contact: str | None = None) -> str:
    """The User-Agent of every request: the tool, its version, and who to contact.

    Sites and archives (Wikimedia's policy among them) ask bots for a way to reach whoever
    runs them: ``--contact`` puts the operator's address first, before the project's.
    """
    reach = f"{contact}; " if contact else ""
    return f"verify-refs/{__version__} (+{PROJECT_URL}; {reach}citation link checker)"


USER_AGENT = user_agent()
