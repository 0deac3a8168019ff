"""sphinx-gallery's "Go to the end to download the full example code" note, under the title.

sphinx-gallery puts the note before a lesson's title, so on a phone the first
screen holds breadcrumbs and a note box and the title starts far down. Here
the note moves to just below the title, where ``site.css`` shows it as one
muted line; the downloads themselves stay at the end and in the sidebar.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

NOTE_CLASS = "sphx-glr-download-link-note"


def move_under_title(app: Sphinx, doctree: nodes.document) -> None:
    for note in list(doctree.findall(nodes.note)):
        if NOTE_CLASS not in note["classes"]:
            continue
        moved = note.parent if isinstance(note.parent, addnodes.only) else note
        section = next(doctree.findall(nodes.section), None)
        if section is None or section is moved.parent:
            continue
        moved.parent.remove(moved)
        section.insert(section.first_child_matching_class(nodes.title) + 1, moved)


def setup(app: Sphinx) -> None:
    app.connect("doctree-read", move_under_title)
