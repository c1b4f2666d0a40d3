"""Reference outputs from numpy + OpenCV for the kernel tests in src/core.

Run with Debian's interpreter (/usr/bin/python3, which has cv2 and numpy). Reads one JSON request on stdin, exchanges
pixels as raw little-endian float32 files (row-major, channel-interleaved, as src/core/imageTypes.ts), and prints a
JSON reply on stdout.

  {"op": "load", "image": png, "alpha": png, "trimap"?: png, "dir": d}
                                              -> d/image.f32 (RGB / 255), d/alpha.f32, d/trimap.f32; {width, height}
  {"op": "blur", "input": f32, "shape": [h, w, c], "sizes": [[kx, ky], ...], "dir": d}  -> d/blur_kx_ky.f32
  {"op": "estimate", "image": f32, "alpha": f32, "shape": [h, w], "radii": [r, ...], "runs"?: n, "dir": d}
                                                              -> d/foreground_r.f32, d/background_r.f32
                                                                 {medianMs_r} when runs > 0 (benchmark timing)
  {"op": "filters", "input": f32, "shape": [h, w], "dir": d}   -> d/sobel.f32, d/laplacian.f32
  {"op": "resize", "input": f32, "shape": [h, w, c], "sizes": [[w2, h2], ...], "interpolation": "linear" | "area",
   "dir": d}                                                   -> d/resize_w2_h2.f32
  {"op": "metrics", "alpha": f32, "truth": f32, "mask": f32, "shape": [h, w], "dir": d} -> {sad, mse, gradient}
  {"op": "guided", "guide": f32, "input": f32, "shape": [h, w], "radius": r, "epsilon": e, "dir": d} -> d/guided.f32
"""
import json
import os
import sys
import time

import cv2
import numpy as np


def stage(image, F, B, alpha, r):
    """Forte & Pitié (2021) blur-fusion stage, verbatim from the authors' reference."""
    blurred_alpha = cv2.blur(alpha, (r, r))[:, :, None]
    blurred_FA = cv2.blur(F * alpha, (r, r))
    blurred_F = blurred_FA / (blurred_alpha + 1e-5)
    blurred_B1A = cv2.blur(B * (1 - alpha), (r, r))
    blurred_B = blurred_B1A / ((1 - blurred_alpha) + 1e-5)
    F = blurred_F + alpha * (image - alpha * blurred_F - (1 - alpha) * blurred_B)
    return np.clip(F, 0, 1), blurred_B


def estimate(image, alpha, r=90):
    a = alpha[:, :, None]
    F, blurB = stage(image, image, image, a, r)
    return stage(image, F, blurB, a, 6)[0], blurB


def guided_filter(I, p, r, eps):
    """He et al. (2010) guided filter, grey guide, with cv2.blur means (reflect-101 borders)."""
    size = (2 * r + 1, 2 * r + 1)
    mean_I, mean_p = cv2.blur(I, size), cv2.blur(p, size)
    cov_Ip = cv2.blur(I * p, size) - mean_I * mean_p
    var_I = cv2.blur(I * I, size) - mean_I * mean_I
    a = cov_Ip / (var_I + eps)
    b = mean_p - a * mean_I
    return cv2.blur(a, size) * I + cv2.blur(b, size)


def gauss(x, sigma):
    return np.exp(-x ** 2 / (2 * sigma ** 2)) / (sigma * np.sqrt(2 * np.pi))


def dgauss(x, sigma):
    return -x * gauss(x, sigma) / (sigma ** 2)


def convolve_nearest(image, kernel):
    """scipy.ndimage.convolve(image, kernel, mode='nearest') for an odd square kernel, in numpy only."""
    half = kernel.shape[0] // 2
    padded = np.pad(image.astype(np.float64), half, mode='edge')
    h, w = image.shape
    out = np.zeros((h, w))
    for i in range(kernel.shape[0]):
        for j in range(kernel.shape[1]):
            out += kernel[i, j] * padded[2 * half - i:2 * half - i + h, 2 * half - j:2 * half - j + w]
    return out


def gaussgradient(im, sigma):
    """The DIM evaluation port (Python version of Rhemann et al.'s MATLAB gaussgradient)."""
    epsilon = 1e-2
    halfsize = np.ceil(sigma * np.sqrt(-2 * np.log(np.sqrt(2 * np.pi) * sigma * epsilon))).astype(np.int32)
    size = 2 * halfsize + 1
    hx = np.zeros((size, size))
    for i in range(0, size):
        for j in range(0, size):
            u = [i - halfsize, j - halfsize]
            hx[i, j] = gauss(u[0], sigma) * dgauss(u[1], sigma)
    hx = hx / np.sqrt(np.sum(np.abs(hx) * np.abs(hx)))
    hy = hx.transpose()
    return convolve_nearest(im, hx), convolve_nearest(im, hy)


def matting_metrics(pred, target, mask):
    """SAD / MSE / gradient error as the DIM evaluation code computes them (mattes already on [0, 1])."""
    pred, target, unknown = pred.astype(np.float64), target.astype(np.float64), mask > 0
    pred_x, pred_y = gaussgradient(pred, 1.4)
    target_x, target_y = gaussgradient(target, 1.4)
    error_map = (np.sqrt(pred_x ** 2 + pred_y ** 2) - np.sqrt(target_x ** 2 + target_y ** 2)) ** 2
    return {
        'sad': float(np.sum(np.abs(pred - target)[unknown]) / 1000),
        'mse': float(np.sum(((pred - target) ** 2)[unknown]) / np.sum(unknown)),
        'gradient': float(np.sum(error_map[unknown]) / 1000),
    }


def read(path, shape):
    return np.fromfile(path, dtype='<f4').reshape(shape)


def write(array, directory, name):
    np.ascontiguousarray(array, dtype='<f4').tofile(os.path.join(directory, name))


def main():
    request = json.load(sys.stdin)
    op, directory = request['op'], request['dir']
    reply = {}
    if op == 'load':
        image = cv2.cvtColor(cv2.imread(request['image'], cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
        alpha = cv2.imread(request['alpha'], cv2.IMREAD_GRAYSCALE)
        write(image.astype(np.float32) / 255, directory, 'image.f32')
        write(alpha.astype(np.float32) / 255, directory, 'alpha.f32')
        if request.get('trimap'):
            write(cv2.imread(request['trimap'], cv2.IMREAD_GRAYSCALE).astype(np.float32) / 255, directory, 'trimap.f32')
        reply = {'width': image.shape[1], 'height': image.shape[0]}
    elif op == 'blur':
        source = read(request['input'], request['shape'])
        for kx, ky in request['sizes']:
            write(cv2.blur(source, (kx, ky)), directory, f'blur_{kx}_{ky}.f32')
    elif op == 'estimate':
        h, w = request['shape']
        image, alpha = read(request['image'], (h, w, 3)), read(request['alpha'], (h, w))
        runs = request.get('runs', 0)
        for r in request['radii']:
            foreground, background = estimate(image, alpha, r)
            write(foreground, directory, f'foreground_{r}.f32')
            write(background, directory, f'background_{r}.f32')
            if runs:  # the benchmark's timing of the reference, after the warm-up call above
                times = []
                for _ in range(runs):
                    start = time.perf_counter()
                    estimate(image, alpha, r)
                    times.append((time.perf_counter() - start) * 1000)
                reply[f'medianMs_{r}'] = sorted(times)[len(times) // 2]
    elif op == 'filters':
        source = read(request['input'], request['shape'])
        gx, gy = cv2.Sobel(source, cv2.CV_32F, 1, 0), cv2.Sobel(source, cv2.CV_32F, 0, 1)
        write(cv2.magnitude(gx, gy), directory, 'sobel.f32')
        write(cv2.Laplacian(source, cv2.CV_32F), directory, 'laplacian.f32')
    elif op == 'resize':
        source = read(request['input'], request['shape'])
        interpolation = {'linear': cv2.INTER_LINEAR, 'area': cv2.INTER_AREA}[request['interpolation']]
        for w2, h2 in request['sizes']:
            write(cv2.resize(source, (w2, h2), interpolation=interpolation), directory, f'resize_{w2}_{h2}.f32')
    elif op == 'metrics':
        shape = request['shape']
        reply = matting_metrics(read(request['alpha'], shape), read(request['truth'], shape), read(request['mask'], shape))
    elif op == 'guided':
        h, w = request['shape']
        guide, source = read(request['guide'], (h, w)), read(request['input'], (h, w))
        write(guided_filter(guide, source, request['radius'], request['epsilon']), directory, 'guided.f32')
    else:
        raise SystemExit(f'unknown op {op}')
    json.dump(reply, sys.stdout)


if __name__ == '__main__':
    main()
