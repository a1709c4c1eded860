"""Plotly figures for the lessons (no streamlit here: pages place them)."""
