"""The gradient view: the transposed convolution is the gradient of the strided convolution w.r.t. its input.

For z = conv2d(x, k, stride, padding, dilation), autograd's vector-Jacobian product with y is
∂⟨z, y⟩/∂x = Cᵀ y = conv_transpose2d(y, k, ...). Here it is computed live with torch.autograd, on a zero
input of the transposed convolution's output shape (the product does not depend on x: C is linear).
"""

import numpy as np

from ops.upsampling import view_checks as check


def _via_gradient(y: np.ndarray, kernel: np.ndarray, stride: int, padding: int, output_padding: int,
                  dilation: int) -> np.ndarray:
    import torch  # here, not at import time: the numpy operators of ops.upsampling stay torch-free
    import torch.nn.functional as F

    check.settings(stride, padding, dilation, output_padding)
    out_shape = tuple(check.transposed_output_side(n, k, stride, padding, output_padding, dilation)
                      for n, k in zip(y.shape, kernel.shape))
    check.nonempty(out_shape, "upsampling.views.error.empty")
    conv = F.conv2d if y.ndim == 2 else F.conv1d
    x = torch.zeros((1, 1) + out_shape, dtype=torch.float64, requires_grad=True)
    weight = torch.from_numpy(np.ascontiguousarray(kernel))[None, None]
    z = conv(x, weight, stride=stride, padding=padding, dilation=dilation)
    # z may have cells beyond y (output_padding >= stride when the dilation is larger): they get weight 0
    upstream = torch.zeros_like(z)
    upstream[(0, 0) + tuple(slice(0, n) for n in y.shape)] = torch.from_numpy(y)
    (grad,) = torch.autograd.grad(z, x, grad_outputs=upstream)
    return grad[0, 0].numpy()


def transposed_via_gradient(y, kernel, stride: int = 1, padding: int = 0, output_padding: int = 0,
                            dilation: int = 1) -> np.ndarray:
    """F.conv_transpose2d(y, kernel, ...) computed as the input gradient of F.conv2d(·, kernel, ...)."""
    return _via_gradient(check.grid(y, "input", 2), check.grid(kernel, "kernel", 2, check.MAX_KERNEL), stride,
                         padding, output_padding, dilation)


def transposed_via_gradient_1d(y, kernel, stride: int = 1, padding: int = 0, output_padding: int = 0,
                               dilation: int = 1) -> np.ndarray:
    """F.conv_transpose1d(y, kernel, ...) as the input gradient of F.conv1d."""
    return _via_gradient(check.grid(y, "input", 1), check.grid(kernel, "kernel", 1, check.MAX_KERNEL), stride,
                         padding, output_padding, dilation)
