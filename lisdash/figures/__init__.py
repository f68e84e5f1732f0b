"""Figures from metric results: maps and charts (draw), bubble labels, a figure's heading as text, static images."""
