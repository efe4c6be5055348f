"""Burned-in text: PixelData decode/render/black-out, OCR, the redaction modes."""
