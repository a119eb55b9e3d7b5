"""Instructor tools for the fournos kit: exercise generation, release, grading, site.

They use the runtime library `fournos`; the runtime library never imports them, so a
student's kernel never loads grading or publishing code.
"""
