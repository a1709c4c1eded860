"""Models and lab training on Ray: a Serve app per model, its HTTP client, and remote lab training.

Optional: nothing here is imported unless PIXELWISE_SERVE_URL or PIXELWISE_RAY_ADDRESS is set (or a
script asks for it), and only serve_app.py and lab_remote.py need Ray (requirements-ray.txt).
"""
