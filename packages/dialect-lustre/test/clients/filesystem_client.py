# A client in the manner of the chroma CLI: creates a filesystem from three volumes, waits for
# its command, stops and starts it through available_transitions, then removes it.
# Usage: filesystem_client.py <base url> <username> <password>
import json
import sys
import time
from urllib.parse import urljoin

import requests


class Api:
    def __init__(self, url, username, password):
        self.url = url
        self.s = requests.session()
        self.s.verify = False
        self.s.headers = {"Accept": "application/json", "Content-type": "application/json"}
        r = self.s.get(urljoin(url, "api/session/"))
        self.s.headers["X-CSRFToken"] = r.cookies["csrftoken"]
        r = self.s.post(urljoin(url, "api/session/"), data=json.dumps({"username": username, "password": password}))
        assert r.status_code == 201, r.status_code
        self.endpoints = self.get("api/")

    def get(self, path, **params):
        r = self.s.get(urljoin(self.url, path), params=params)
        assert r.status_code == 200, (path, r.status_code, r.text)
        return r.json()

    def send(self, method, path, body):
        r = self.s.request(method, urljoin(self.url, path), data=json.dumps(body))
        assert r.status_code in (200, 201, 202, 204), (method, path, r.status_code, r.text)
        return r.json() if r.text else None

    def wait(self, command):
        for _ in range(1500):
            c = self.get(command["resource_uri"])
            if c["complete"]:
                assert not c["errored"], c
                for job in c["jobs"]:
                    assert self.get(job)["state"] == "complete"
                return c
            time.sleep(0.2 if _ > 50 else 0.02)
        raise RuntimeError("command did not finish")

    def change_state(self, uri, state):
        obj = self.get(uri)
        offered = [t["state"] for t in obj["available_transitions"]]
        if state not in offered:
            raise RuntimeError("%s not offered for %s: %s" % (state, uri, offered))
        self.send("PUT", uri, {"state": state, "dry_run": True})
        return self.wait(self.send("PUT", uri, {"state": state})["command"])


def main(url, username, password):
    api = Api(url, username, password)
    volumes = api.get(api.endpoints["volume"]["list_endpoint"], category="usable", limit=0)["objects"]
    by_host = {}
    for v in volumes:
        by_host.setdefault(v["volume_nodes"][0]["host_id"], v)
    mgt, mdt, ost = list(by_host.values())[:3]
    body = {"name": "pyfs", "conf_params": {}, "mgt": {"volume_id": mgt["id"]},
            "mdts": [{"volume_id": mdt["id"], "conf_params": {}}], "osts": [{"volume_id": ost["id"], "conf_params": {}}]}
    created = api.send("POST", api.endpoints["filesystem"]["list_endpoint"], body)
    api.wait(created["command"])
    fs_uri = created["filesystem"]["resource_uri"]
    steps = [api.get(fs_uri)["state"]]
    api.change_state(fs_uri, "stopped")
    steps.append(api.get(fs_uri)["state"])
    api.change_state(fs_uri, "available")
    steps.append(api.get(fs_uri)["state"])
    api.wait(api.send("DELETE", fs_uri, None)["command"])
    r = api.s.get(urljoin(url, fs_uri))
    steps.append(r.status_code)
    print(json.dumps(steps))


if __name__ == "__main__":
    import urllib3
    urllib3.disable_warnings()
    main(*sys.argv[1:4])
