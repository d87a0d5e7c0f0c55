package kyctest

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
)

// JPEG returns a small, valid JPEG image (what a phone camera would
// upload, minus the size).
func JPEG() []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, testImage(), &jpeg.Options{Quality: 80}); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// PNG returns a small, valid PNG image.
func PNG() []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, testImage()); err != nil {
		panic(err)
	}
	return b.Bytes()
}

func testImage() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 16, 12))
	for x := 0; x < 16; x++ {
		for y := 0; y < 12; y++ {
			img.Set(x, y, color.RGBA{uint8(x * 16), uint8(y * 20), 128, 255})
		}
	}
	return img
}

// PDF returns a valid one-page PDF whose page shows text (ASCII, no
// parentheses or backslashes), padded with a comment to at least size
// bytes when size is larger than the document.
func PDF(text string, size int) []byte {
	stream := fmt.Sprintf("BT /F1 18 Tf 40 700 Td (%s) Tj ET", text)
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n", len(objs)+1, xref)
	const tail = "%%EOF\n"
	if pad := size - b.Len() - len(tail); pad > 0 {
		// A comment line before the end: "%" then filler then newline.
		b.WriteString("%" + strings.Repeat("x", max(pad-2, 0)) + "\n")
	}
	b.WriteString(tail)
	return b.Bytes()
}
