"""Small valid files made by code (no binaries in the repository)."""


def pdf_bytes(text: str = "Startklaar") -> bytes:
    """A small valid one-page PDF, built by hand with a correct cross-reference table."""
    from materials.handouts.demo import tiny_pdf

    return tiny_pdf(text)
