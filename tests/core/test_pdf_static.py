"""A PDF finds the product's fonts under the hashed names production's static storage gives them."""

from pathlib import Path

from aftersales.core.pdf import static_file


def test_a_hashed_collected_static_file_is_found_and_nothing_outside_static_root(settings, tmp_path):
    settings.STATIC_ROOT = str(tmp_path)
    font = tmp_path / "vendor" / "font.df081d1ae4de.ttf"
    font.parent.mkdir()
    font.write_bytes(b"font")
    (tmp_path.parent / "secret.txt").write_text("x")
    assert static_file("vendor/font.df081d1ae4de.ttf") == str(font.resolve())
    assert static_file("../secret.txt") is None
    assert static_file("vendor/missing.ttf") is None
    assert Path(static_file("aftersales/css/app.css")).name == "app.css"  # found by the finders
