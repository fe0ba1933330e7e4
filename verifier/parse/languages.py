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
    "zh-Hans": ("简体中文", "中文（简体）", "中文（簡體）", "chinese (simplified)"),
    "zh-Hant": ("繁体中文", "繁體中文", "中文（繁體）", "中文（繁体）", "chinese (traditional)"),
    "ko": ("韩语", "韓語", "朝鲜语", "korean", "кор.", "корейский", "на корейском языке"),
    "de": ("德语", "德語", "german", "нем.", "немецкий", "на немецком языке"),
    "fr": ("法语", "法語", "french", "фр.", "французский", "на французском языке"),
    "es": ("西班牙语", "spanish", "исп.", "испанский", "на испанском языке"),
    "be": ("白俄罗斯语", "belarusian", "белор.", "белорусский", "на белорусском языке"),
    "pl": ("波兰语", "polish", "пол.", "польский", "на польском языке"),
    "it": ("意大利语", "italian", "итал.", "итальянский", "на итальянском языке"),
    "lv": ("拉脱维亚语", "latvian", "латыш.", "латышский", "на латышском языке"),
    "la": ("拉丁语", "拉丁文", "latin", "лат.", "латинский", "на латинском языке"),
    "pt": ("葡萄牙语", "葡萄牙文", "portuguese", "порт.", "португальский"),
    "pt-BR": ("巴西葡萄牙语", "brazilian portuguese"),
    "nl": ("荷兰语", "荷兰文", "dutch", "нидерл.", "нидерландский"),
    "ar": ("阿拉伯语", "阿拉伯文", "arabic", "араб.", "арабский"),
    "tr": ("土耳其语", "turkish", "тур.", "турецкий"),
    "sv": ("瑞典语", "swedish", "швед.", "шведский"),
    "el": ("希腊语", "greek", "греч.", "греческий"),
    "he": ("希伯来语", "hebrew", "иврит"),
    "vi": ("越南语", "越南文", "vietnamese", "вьетнамский"),
    "th": ("泰语", "泰文", "thai", "тайский"),
    "id": ("印度尼西亚语", "印尼语", "indonesian", "индонезийский"),
    "ms": ("马来语", "malay", "малайский"),
    "cs": ("捷克语", "czech", "чеш.", "чешский"),
    "hu": ("匈牙利语", "hungarian", "венг.", "венгерский"),
    "fi": ("芬兰语", "finnish", "фин.", "финский"),
    "da": ("丹麦语", "danish", "дат.", "датский"),
    "no": ("挪威语", "norwegian", "норв.", "норвежский"),
    "ro": ("罗马尼亚语", "romanian", "рум.", "румынский"),
    "fa": ("波斯语", "persian", "перс.", "персидский"),
    "hi": ("印地语", "hindi", "хинди"),
    "mn": ("蒙古语", "mongolian", "монг.", "монгольский"),
    "bo": ("藏语", "tibetan", "тибетский"),
    "yue": ("粤语", "cantonese", "кантонский"),
    "sr": ("塞尔维亚语", "serbian", "серб.", "сербский"),
    "hr": ("克罗地亚语", "croatian", "хорв.", "хорватский"),
    "bg": ("保加利亚语", "bulgarian", "болг.", "болгарский"),
    "ka": ("格鲁吉亚语", "georgian", "груз.", "грузинский"),
    "kk": ("哈萨克语", "kazakh", "каз.", "казахский"),
    "zh-TW": ("中文（臺灣）", "中文（台灣）", "中文（台湾）", "chinese (taiwan)"),
    "zh-HK": ("中文（香港）", "chinese (hong kong)"),
    "zh-CN": ("中文（中国大陆）", "中文（中國大陸）", "中文（中国）", "chinese (china)"),
    "zh-SG": ("中文（新加坡）",),
    "zh-MO": ("中文（澳門）", "中文（澳门）"),
}
# The zh names in traditional script too ("英語", "義大利語"): the wiki renders either.
_TRADITIONAL = str.maketrans("语国兰腊罗马尔亚乌伯来韩鲜脱维挪丹兹萨鲁吉阿宾饶简体台湾门",
                             "語國蘭臘羅馬爾亞烏伯來韓鮮脫維挪丹茲薩魯吉阿賓饒簡體臺灣門")
_EXTRA_NAMES = {"it": ("義大利語",), "en": ("英語",), "ko": ("韓文", "朝鮮語")}


def _fold(name: str) -> str:
    """Case, and the halfwidth parentheses of "中文(繁體)", do not tell names apart."""
    return name.casefold().replace("(", "（").replace(")", "）").replace(" ", "")


_BY_NAME = {
    _fold(variant): tag
    for tag, names in _NAMES.items()
    for name in (*names, *_EXTRA_NAMES.get(tag, ()))
    for variant in {name, name.translate(_TRADITIONAL)}
}
_CASEFOLDED_TAGS = {tag.casefold(): tag for tag in _NAMES}
# A BCP 47 tag as wikitext writes it: "ru", "en-US", "zh-Hans", "sr-Latn-RS".
_TAG = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


def language_tag(raw: str | None) -> str | None:
    """The BCP 47 tag for a language name or code, or None when unknown."""
    if raw is None:
        return None
    text = _unwrap(raw)
    text = re.sub(r"^in\s+", "", text, flags=re.I)  # en: "(in Russian)"
    folded = _fold(text)
    if not folded:
        return None
    if folded in _BY_NAME:
        return _BY_NAME[folded]
    if text.casefold() in _CASEFOLDED_TAGS:
        return _CASEFOLDED_TAGS[text.casefold()]
    if _TAG.fullmatch(text):
        return _canonical_tag(text)
    return None


def _unwrap(raw: str) -> str:
    """``raw`` without the parentheses around it: "(中文（繁體）)" -> "中文（繁體）"."""
    text = raw.strip()
    while len(text) > 1 and text[0] in "(（" and text[-1] in ")）":
        text = text[1:-1].strip()
    return text


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


_LOOKS_LIKE_NAME = re.compile(r"[\u4e00-\u9fff]{0,7}(?<![论論])[\u4e00-\u9fff][语語文]")


def is_language_name(raw: str) -> bool:
    """Whether ``raw`` (a parenthesised aside in a rendered citation) names a language."""
    return language_tag(raw) is not None or bool(
        re.fullmatch(r"(?:in\s+\w+|[\u4e00-\u9fff]{1,8}[语語文])", raw.strip().strip("()（）"))
    )


_SEVERAL = re.compile(r"\s*(?:及|和|与|與|、|,|，|/|\band\b|\bи\b)\s*")


def language_tags(raw: str) -> list[str] | None:
    """The tags a rendered language marker names, in order ("英语及韩语" -> en, ko; "in
    English and Korean" too); ``[]`` for a marker naming only unknown languages, None when
    ``raw`` is no language marker at all."""
    text = re.sub(r"^in\s+", "", _unwrap(raw), flags=re.I)
    if not text:
        return None
    if _fold(text) in _BY_NAME:
        return [_BY_NAME[_fold(text)]]
    # Rendered text names languages, never codes: "(ed)" is not Edo.
    parts = [p for p in _SEVERAL.split(text) if p]
    if not parts or not all(_fold(p) in _BY_NAME or _LOOKS_LIKE_NAME.fullmatch(p)
                            for p in parts):
        return None
    return [_BY_NAME[_fold(p)] for p in parts if _fold(p) in _BY_NAME]
