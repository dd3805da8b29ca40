"""Draw the favicon (.ico, 16/32/48 px) and the apple-touch icon (180 px) from the shapes of
app/static/icons/icon.svg, so the bitmaps match the vector icon. Run after changing the icon:

    .venv/bin/python scripts/make_icons.py
"""

from pathlib import Path

from PIL import Image, ImageDraw

ICONS = Path(__file__).resolve().parent.parent / "app" / "static" / "icons"
BRAND, WHITE, SUN = "#00558c", "#ffffff", "#ffbf47"
STEPS = [(13, 52), (13, 41), (25, 41), (25, 31), (37, 31), (37, 21), (51, 21), (51, 52)]  # as in icon.svg


def draw(size: int, *, rounded: bool = True) -> Image.Image:
    scale = size * 8 / 64  # drawn 8× larger, then scaled down: smooth edges
    big = Image.new("RGBA", (size * 8, size * 8), (0, 0, 0, 0))
    pen = ImageDraw.Draw(big)
    pen.rounded_rectangle((0, 0, size * 8 - 1, size * 8 - 1), radius=14 * scale if rounded else 0, fill=BRAND)
    pen.polygon([(x * scale, y * scale) for x, y in STEPS], fill=WHITE)
    x, y, r = 44, 11.5, 5.5
    pen.ellipse(((x - r) * scale, (y - r) * scale, (x + r) * scale, (y + r) * scale), fill=SUN)
    return big.resize((size, size), Image.LANCZOS)


def main() -> None:
    draw(48).save(ICONS / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
    # iOS rounds the corners itself and shows transparency as black: a full square.
    draw(180, rounded=False).convert("RGB").save(ICONS / "apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    main()
