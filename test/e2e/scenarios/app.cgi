#!/bin/sh
# The test app: fcgiwrap runs it for every request and it prints what lighttpd passed to it.
printf 'Content-Type: text/plain\r\n\r\n'
printf 'APP=fcgiwrap\n'
printf 'SCRIPT_NAME=%s\n' "${SCRIPT_NAME-(unset)}"
printf 'PATH_INFO=%s\n' "${PATH_INFO-(unset)}"
printf 'REQUEST_URI=%s\n' "${REQUEST_URI-(unset)}"
