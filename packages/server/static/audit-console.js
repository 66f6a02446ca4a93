// The auditor console's script (no build step, no inline code). It draws the dashboard's charts
// with uPlot and verifies inclusion proofs in the browser with the SDK's log verifier, so that
// an auditor need not take the server's word for any entry.
"use strict";

const DAY_SECONDS = 86400;

function readData(id) {
  const element = document.getElementById(id);
  return element ? JSON.parse(element.textContent) : undefined;
}

function drawCharts(metrics) {
  const x = metrics.daily.map((d) => Date.parse(d.date + "T00:00:00Z") / 1000);
  const compliance = metrics.daily.map((d) =>
    d.slaMet + d.slaBreached === 0 ? null : Math.round((d.slaMet / (d.slaMet + d.slaBreached)) * 1000) / 10,
  );
  const charts = [
    {
      element: document.getElementById("chart-latency"),
      series: [
        { label: "p50", stroke: "#1d4ed8", width: 2, points: { show: true } },
        { label: "p95", stroke: "#b42318", width: 2, points: { show: true } },
      ],
      // In the unit the server chose for this data (ms for sub-second takedowns), from zero up.
      data: [x, metrics.latency.p50, metrics.latency.p95],
      y: { range: (_plot, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
      unit: metrics.latency.unit,
    },
    {
      element: document.getElementById("chart-sla"),
      series: [
        {
          label: metrics.labels.compliance,
          stroke: "#146c2e",
          fill: "rgba(20,108,46,0.12)",
          width: 2,
          points: { show: true },
        },
      ],
      data: [x, compliance],
      y: { range: [0, 100] },
      unit: "%",
    },
  ];
  for (const chart of charts) {
    if (!chart.element) continue;
    const size = () => ({ width: Math.max(chart.element.clientWidth, 280), height: 220 });
    const plot = new window.uPlot(
      {
        ...size(),
        scales: { x: { time: true, range: [x[0] - DAY_SECONDS / 2, x[x.length - 1] + DAY_SECONDS / 2] }, y: chart.y },
        axes: [{}, { label: chart.unit }],
        series: [{}, ...chart.series],
      },
      chart.data,
      chart.element,
    );
    chart.element.dataset.rendered = "true";
    new ResizeObserver(() => plot.setSize(size())).observe(chart.element);
  }
}

async function verifyProof(data, status) {
  try {
    const log = await import("/assets/vendor/vergewis-log.js");
    const leafHash = log.hashLeaf(data.entry);
    if (!log.bytesEqual(leafHash, log.fromBase64(data.leafHash)))
      throw new Error("the entry does not hash to its leaf hash");
    const checkpoint = await log.verifyCheckpoint(data.checkpoint, data.verifierKey);
    if (checkpoint.treeSize !== data.treeSize)
      throw new Error("the proof is for another tree size than the checkpoint");
    log.verifyInclusion({
      index: data.index,
      treeSize: checkpoint.treeSize,
      leafHash,
      proof: data.proof.map((hash) => log.fromBase64(hash)),
      rootHash: checkpoint.rootHash,
    });
    status.dataset.state = "verified";
    status.className = "notice ok";
    status.textContent = status.dataset.verified;
  } catch (error) {
    status.dataset.state = "failed";
    status.className = "notice bad";
    status.textContent = status.dataset.failed + " " + (error.code ? "[" + error.code + "] " : "") + error.message;
  }
}

{
  const metrics = readData("metrics-data");
  if (metrics) drawCharts(metrics);
  const proof = readData("proof-data");
  const status = document.getElementById("proof-status");
  if (proof && status) verifyProof(proof, status);
}
