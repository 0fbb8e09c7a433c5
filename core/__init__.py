"""The bottom floor: the one `Settings` object, the logging set-up and the description of
validation errors. Imports nothing else of the project.
"""
