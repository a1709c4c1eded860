"""Pixelwise: an interactive explainer of semantic segmentation. Run: streamlit run app.py"""

from pages.shell import run_app

run_app()
