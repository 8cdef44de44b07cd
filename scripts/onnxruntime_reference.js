#!/usr/bin/env node
// Runs an ONNX model with ONNX Runtime's CPU build (scripts/fetch_onnxruntime.sh) on float32 .npy
// inputs and writes every graph output as a float32 .npy: the independent reference strata's float
// executor is checked against (docs/functional.md).
// Usage: node scripts/onnxruntime_reference.js MODEL.onnx OUT_DIR NAME=INPUT.npy...
'use strict';
const fs = require('fs');
const path = require('path');
const ort = require(path.join(__dirname, '..', '.cache', 'onnxruntime', 'node_modules',
                              'onnxruntime-node'));

function readNpy(file) {
  const b = fs.readFileSync(file);
  if (b.toString('latin1', 1, 6) !== 'NUMPY') throw new Error(file + ': not a .npy file');
  const major = b[6];
  const headerLen = major === 1 ? b.readUInt16LE(8) : b.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = b.toString('latin1', start, start + headerLen);
  if (!/'descr': '<f4'/.test(header) || /'fortran_order': True/.test(header)) {
    throw new Error(file + ': expected little-endian float32 in C order, got ' + header.trim());
  }
  const dims = header.match(/'shape': \(([^)]*)\)/)[1].split(',').map(s => s.trim())
                   .filter(s => s.length).map(Number);
  const offset = start + headerLen;
  const data = new Float32Array(b.buffer.slice(b.byteOffset + offset, b.byteOffset + b.length));
  return new ort.Tensor('float32', data, dims);
}

function writeNpy(file, tensor) {
  const shape = '(' + tensor.dims.join(', ') + (tensor.dims.length === 1 ? ',' : '') + ')';
  let header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ', }';
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  const data = Buffer.from(Float32Array.from(tensor.data).buffer);
  fs.writeFileSync(file + '.tmp', Buffer.concat([head, Buffer.from(header, 'latin1'), data]));
  fs.renameSync(file + '.tmp', file);
}

async function main() {
  const [model, outDir, ...specs] = process.argv.slice(2);
  if (!model || !outDir || specs.length === 0) {
    console.error('usage: onnxruntime_reference.js MODEL.onnx OUT_DIR NAME=INPUT.npy...');
    process.exit(2);
  }
  const feeds = {};
  for (const s of specs) {
    const eq = s.indexOf('=');
    feeds[s.slice(0, eq)] = readNpy(s.slice(eq + 1));
  }
  const session = await ort.InferenceSession.create(model, {graphOptimizationLevel: 'disabled'});
  const results = await session.run(feeds);
  for (const name of session.outputNames) {
    writeNpy(path.join(outDir, name.replace(/[^A-Za-z0-9_.-]/g, '_') + '.npy'), results[name]);
  }
}

main().catch(e => {
  console.error('onnxruntime_reference: ' + e.message);
  process.exit(1);
});
