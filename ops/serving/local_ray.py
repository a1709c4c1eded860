"""A Ray this project starts itself (tests, benches): its workers at nice 0, like everything beside them.

Ray starts its workers at nice 15 so that its own daemons stay responsive. Here the workers *are* the
service: the model replica every student's photo waits on, beside Streamlit replicas and browsers at nice
0. At nice 15 a replica gets only what those leave: beside three busy processes 9 of a burst of 16 photos
had no answer within 30 s, where at nice 0 all 16 took 2.4 s (bench/bench_serving.py --contention 3), and
CI's test of that burst ran past its 30 s deadline while browser tests ran beside it. deploy/up.sh starts
its head with the same niceness (RAY_worker_niceness=0); on Kubernetes each Ray pod has its own CPU limit,
so nothing at nice 0 competes.
"""

WORKER_NICENESS = 0


def start_local_ray(num_cpus: int, namespace: str | None = None, worker_niceness: int = WORKER_NICENESS):
    """ray.init of a fresh single-node cluster on loopback: no dashboard, workers' logs kept out of ours."""
    import ray

    ray.init(address="local", num_cpus=num_cpus, include_dashboard=False, namespace=namespace,
             log_to_driver=False, _system_config={"worker_niceness": worker_niceness})
    return ray
