"""Example Python function for the emulator (runtime python3.*)."""
import json


def lambda_handler(event, context):
    print("hello-py invoked (%s)" % context.aws_request_id)
    if isinstance(event, dict) and event.get("fail"):
        raise ValueError("requested failure")
    return {"statusCode": 200, "body": json.dumps({"message": "hello from Python", "input": event})}
