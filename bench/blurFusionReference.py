"""numpy + cv2 blur-fusion reference (Forte & Pitie 2021), timed on the same float32 data as the TS kernel.
Usage: /usr/bin/python3 blurFusionReference.py <image.f32> <alpha.f32> <width> <height> <radius> <runs> [<out.f32>]"""
import sys, time
import numpy as np
import cv2

def stage(image, F, B, alpha, r):
    blurred_alpha = cv2.blur(alpha, (r, r))[:, :, None]
    blurred_FA = cv2.blur(F * alpha, (r, r))
    blurred_F = blurred_FA / (blurred_alpha + 1e-5)
    blurred_B1A = cv2.blur(B * (1 - alpha), (r, r))
    blurred_B = blurred_B1A / ((1 - blurred_alpha) + 1e-5)
    F = blurred_F + alpha * (image - alpha * blurred_F - (1 - alpha) * blurred_B)
    return np.clip(F, 0, 1), blurred_B

def estimate(image, alpha, r):
    a = alpha[:, :, None]
    F, blur_b = stage(image, image, image, a, r)
    return stage(image, F, blur_b, a, 6)[0]

image_path, alpha_path, width, height, radius, runs = sys.argv[1:7]
width, height, radius, runs = int(width), int(height), int(radius), int(runs)
image = np.fromfile(image_path, dtype=np.float32).reshape(height, width, 3)
alpha = np.fromfile(alpha_path, dtype=np.float32).reshape(height, width)
times = []
for _ in range(runs + 1):
    start = time.perf_counter()
    foreground = estimate(image, alpha, radius)
    times.append((time.perf_counter() - start) * 1000)
times = sorted(times[1:])
if len(sys.argv) > 7:
    foreground.astype(np.float32).tofile(sys.argv[7])
print('{"medianMs": %f, "threads": %d}' % (times[len(times) // 2], cv2.getNumThreads()))
