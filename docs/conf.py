"""Sphinx configuration of sklweak's documentation."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import sklweak

SUBPACKAGES = [
    ("sklweak.semi_supervised", "Safe semi-supervised learning"),
    ("sklweak.self_training", "Self-training"),
    ("sklweak.graph", "Graph-based label spreading"),
    ("sklweak.lowdensity", "Low-density separation"),
    ("sklweak.pu", "Positive-unlabeled learning"),
    ("sklweak.llp", "Learning from label proportions"),
    ("sklweak.complementary", "Complementary-label learning"),
    ("sklweak.noise", "Noisy labels and annotators"),
    ("sklweak.active", "Active learning"),
    ("sklweak.model_selection", "Model selection"),
    ("sklweak.datasets", "Data sets and weak-label simulation"),
    ("sklweak.utils", "Utilities"),
    ("sklweak.neural", "Neural building blocks (needs torch)"),
]


def write_api_page(path):
    """Write the API reference from every subpackage's ``__all__``."""
    import importlib

    lines = [
        "API reference",
        "=============",
        "",
        "Generated from each subpackage's public names.",
        "",
    ]
    for name, title in SUBPACKAGES:
        try:
            module = importlib.import_module(name)
            for public in module.__all__:  # sklweak.neural imports torch on first use
                getattr(module, public)
        except ImportError:
            continue
        lines += [
            title,
            "-" * len(title),
            "",
            f".. automodule:: {name}",
            "   :no-members:",
            "",
            f".. currentmodule:: {name}",
            "",
            ".. autosummary::",
            "   :toctree: generated",
            "",
        ]
        lines += [f"   {public}" for public in sorted(module.__all__)]
        lines.append("")
    Path(path).write_text("\n".join(lines))


write_api_page(Path(__file__).parent / "api.rst")

project = "sklweak"
author = "the sklweak developers"
copyright = "2026, the sklweak developers"
version = release = sklweak.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": False}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

templates_path = ["_templates"]
exclude_patterns = ["_build", "auto_examples/*.ipynb", "auto_examples/*.py"]
html_theme = "pydata_sphinx_theme"
html_title = "sklweak"
html_theme_options = {"navigation_with_keys": False}
html_static_path = []

# SKLWEAK_DOCS_FAST=1 runs only the fast examples (CI); the others are shown
# with their code but not executed.
_FAST_EXAMPLES = r"plot_(self_training|tsvm|pu_class_prior|complementary|label_issues)"
sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": _FAST_EXAMPLES if os.environ.get("SKLWEAK_DOCS_FAST") else r"plot_",
    "download_all_examples": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
    "plot_gallery": "True",
}
