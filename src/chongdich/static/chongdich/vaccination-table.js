// The vaccination table: scan an invitation slip's QR code with the camera where the browser can
// (BarcodeDetector, no library fetched from anywhere); otherwise a QR scanner types into the box.
(function () {
  "use strict";
  const box = document.querySelector("[data-qr-scan]");
  if (!box || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  const start = box.querySelector("[data-qr-start]");
  const video = box.querySelector("[data-qr-video]");
  const form = document.getElementById("find-form");
  const input = document.getElementById("id_q");
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
          form.submit();
          return;
        }
      } catch (e) { /* the next frame */ }
      window.setTimeout(tick, 250);
    };
    tick();
  });
  window.addEventListener("pagehide", stop);
})();
