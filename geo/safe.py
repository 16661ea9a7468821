"""The two ways data may reach the page: escaped HTML text, or JSON that cannot end a script.

Nothing else in the package turns data into markup. Popups, labels and lists are
built in the browser from JSON with ``textContent``, so event text never becomes
HTML, JavaScript or template source.
"""

from __future__ import annotations

import html
import json
from typing import Any

# Characters that could end a <script> element or start an HTML comment/CDATA inside it,
# plus the JavaScript line separators; all replaced by their \\u escapes, which JSON reads back.
_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def escape_html(text: str) -> str:
    """Escape text for an HTML element or attribute value (quotes included)."""
    return html.escape(text, quote=True)


def json_for_script(value: Any) -> str:
    """Serialise ``value`` as compact JSON safe inside ``<script type="application/json">``.

    The output never contains ``<``, ``>`` or ``&``, so no ``</script>`` or ``<!--`` can
    appear, and the same input always gives the same text (keys keep their order).
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escaped in _JSON_ESCAPES.items():
        text = text.replace(char, escaped)
    return text
