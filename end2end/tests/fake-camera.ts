import QRCode from "qrcode";
import fs from "node:fs";

/**
 * Writes a Y4M video (what Chromium's fake camera plays) showing a QR code of `text`: the QR is
 * encoded here by an independent encoder, so the test checks our decoder, not our encoder.
 */
export function writeQrVideo(text: string, file: string, frames = 20) {
  const width = 640;
  const height = 480;
  const qr = QRCode.create(text, { errorCorrectionLevel: "M" });
  const size = qr.modules.size;
  const scale = Math.floor(Math.min(width, height) / (size + 8));
  const left = Math.floor((width - size * scale) / 2);
  const top = Math.floor((height - size * scale) / 2);
  const luma = Buffer.alloc(width * height, 235); // white paper, a little off peak
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (!qr.modules.get(y, x)) continue;
      for (let dy = 0; dy < scale; dy++) {
        const row = (top + y * scale + dy) * width;
        luma.fill(20, row + left + x * scale, row + left + (x + 1) * scale);
      }
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
  const parts: Buffer[] = [Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`)];
  for (let i = 0; i < frames; i++) {
    parts.push(Buffer.from("FRAME\n"), luma, chroma, chroma);
  }
  fs.writeFileSync(file, Buffer.concat(parts));
}
