"""HTTP API of the inventory service."""

import subprocess

import requests
import yaml
from flask import Flask, request

app = Flask(__name__)


@app.route("/hosts/ping")
def ping_host():
    host = request.args["host"]
    # The host name goes straight into a shell command line.
    output = subprocess.check_output("ping -c 1 " + host, shell=True)
    return output


@app.route("/import", methods=["POST"])
def import_inventory():
    # yaml.load with the default loader builds arbitrary Python objects.
    items = yaml.load(request.data, Loader=yaml.Loader)
    return {"count": len(items)}


@app.route("/sync")
def sync_upstream():
    upstream = app.config["UPSTREAM_URL"]
    reply = requests.get(upstream, verify=False)
    return reply.json()


if __name__ == "__main__":
    app.run(host="0.0.0.0", debug=True)
