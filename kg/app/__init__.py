"""The application layer: the jobs a front end asks for (load, push), orchestrated over the stores."""
