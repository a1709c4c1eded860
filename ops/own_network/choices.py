"""What the page offers, without importing onnx or torch (pages/state.py reads it at start-up)."""

TINY = "tiny"
ESPNETV2 = "espnetv2_s_2.0_pascal_384x384"
PROJECT_MODELS = (TINY, ESPNETV2, "lraspp_mobilenet_v3_large", "deeplabv3_mobilenet_v3_large", "fcn_resnet50")
SIZES = (128, 256, 384, 512)
MAX_UPLOAD_MB = 200  # the upload limit, the same as inspect_onnx's (ops/own_network/load.py MAX_BYTES)
