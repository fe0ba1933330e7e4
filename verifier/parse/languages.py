"""Language names as the wikis render them, mapped to BCP 47 tags.

zh renders ``(俄语)``, en ``(in Russian)``, ru ``(рус.)`` / ``на русском языке``; wikitext
usually carries a code already (``language=ru``). ``language_tag`` returns None for a
name it does not know: callers keep the raw name and lint warns, nothing is guessed.
"""

from __future__ import annotations

import re

# One row per tag: the names the three wikis (and CS1's own language list) use for it.
_NAMES: dict[str, tuple[str, ...]] = {
    "en": ("英语", "英文", "english", "англ.", "английский", "на английском языке", "англійська"),
    "en-US": ("美国英语", "american english", "english (united states)"),
    "en-GB": ("英国英语", "british english", "english (united kingdom)"),
    "ru": ("俄语", "俄文", "russian", "рус.", "русский", "на русском языке", "російська"),
    "uk": ("乌克兰语", "烏克蘭語", "ukrainian", "укр.", "украинский", "на украинском языке",
           "українська"),
    "ja": ("日语", "日語", "日文", "japanese", "яп.", "японский", "на японском языке"),
    "zh": ("中文", "汉语", "漢語", "chinese", "кит.", "китайский", "на китайском языке"),
    "zh-Hans": ("简体中文", "中文（简体）", "chinese (simplified)"),
    "zh-Hant": ("繁体中文", "繁體中文", "中文（繁體）", "chinese (traditional)"),
    "ko": ("韩语", "韓語", "朝鲜语", "korean", "кор.", "корейский", "на корейском языке"),
    "de": ("德语", "德語", "german", "нем.", "немецкий", "на немецком языке"),
    "fr": ("法语", "法語", "french", "фр.", "французский", "на французском языке"),
    "es": ("西班牙语", "spanish", "исп.", "испанский", "на испанском языке"),
    "be": ("白俄罗斯语", "belarusian", "белор.", "белорусский", "на белорусском языке"),
    "pl": ("波兰语", "polish", "пол.", "польский", "на польском языке"),
    "it": ("意大利语", "italian", "итал.", "итальянский", "на итальянском языке"),
    "lv": ("拉脱维亚语", "latvian", "латыш.", "латышский", "на латышском языке"),
}
_BY_NAME = {name.casefold(): tag for tag, names in _NAMES.items() for name in names}
_CASEFOLDED_TAGS = {tag.casefold(): tag for tag in _NAMES}
# A BCP 47 tag as wikitext writes it: "ru", "en-US", "zh-Hans", "sr-Latn-RS".
_TAG = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


def language_tag(raw: str | None) -> str | None:
    """The BCP 47 tag for a language name or code, or None when unknown."""
    if raw is None:
        return None
    text = raw.strip().strip("()（）").strip()
    text = re.sub(r"^in\s+", "", text, flags=re.I)  # en: "(in Russian)"
    folded = text.casefold()
    if not folded:
        return None
    if folded in _BY_NAME:
        return _BY_NAME[folded]
    if folded in _CASEFOLDED_TAGS:
        return _CASEFOLDED_TAGS[folded]
    if _TAG.fullmatch(text):
        return _canonical_tag(text)
    return None


def _canonical_tag(tag: str) -> str:
    """BCP 47 case conventions: language lower, script title, region upper."""
    parts = tag.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part)
    return "-".join(out)


def is_language_name(raw: str) -> bool:
    """Whether ``raw`` (a parenthesised aside in a rendered citation) names a language."""
    return language_tag(raw) is not None or bool(
        re.fullmatch(r"(?:in\s+\w+|[\u4e00-\u9fff]{1,8}[语語文])", raw.strip().strip("()（）"))
    )
