// The staff scan page: read a person's QR code (certificate, chip ID card) with the camera where the
// browser can (BarcodeDetector, no library fetched from anywhere), put it in the box and save; a
// hand-held QR scanner types into the box the same way.
(function () {
  "use strict";
  const box = document.querySelector("[data-qr-scan]");
  const form = document.getElementById("scan-form");
  const input = document.getElementById("id_code");
  if (!box || !form || !input || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  const start = box.querySelector("[data-qr-start]");
  const video = box.querySelector("[data-qr-video]");
  box.classList.remove("d-none");
  let stream = null;
  function stop() {
    if (stream) stream.getTracks().forEach((t) => t.stop());
    stream = null;
    video.classList.add("d-none");
  }
  start.addEventListener("click", async function () {
    if (stream) { stop(); return; }
    let detector;
    try {
      detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    } catch (e) { stop(); return; }
    video.srcObject = stream;
    video.classList.remove("d-none");
    await video.play();
    const tick = async function () {
      if (!stream) return;
      try {
        const codes = await detector.detect(video);
        if (codes.length) {
          input.value = codes[0].rawValue;
          stop();
          if (!form.querySelector("[name=temperature]")) form.requestSubmit();
          else form.querySelector("[name=temperature]").focus();
          return;
        }
      } catch (e) { /* the next frame */ }
      window.setTimeout(tick, 250);
    };
    tick();
  });
  window.addEventListener("pagehide", stop);
})();
